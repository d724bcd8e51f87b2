// The cross-engine journeys (tests/journeys/) in WebKit.
import { journeysIn } from '../support/everywhere.mjs';

journeysIn('webkit', { backendPort: 9480, shopPort: 8560 });
