// The cross-engine journeys (tests/journeys/) in Firefox, against each reference backend.
import { journeysIn } from '../support/everywhere.mjs';

journeysIn('firefox', { backendPort: 9910, shopPort: 8966 });
