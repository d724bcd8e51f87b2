// The cross-engine journeys (tests/journeys/) in Chromium, against each reference backend.
import { journeysIn } from '../support/everywhere.mjs';

journeysIn('chromium', { backendPort: 9900, shopPort: 8950 });
