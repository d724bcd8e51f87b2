// The cross-engine journeys (tests/journeys/) in Chromium.
import { journeysIn } from '../support/everywhere.mjs';

journeysIn('chromium', { backendPort: 9460, shopPort: 8540 });
