// The cross-engine journeys (tests/journeys/) in Firefox.
import { journeysIn } from '../support/everywhere.mjs';

journeysIn('firefox', { backendPort: 9470, shopPort: 8550 });
