// The cross-engine journeys (tests/journeys/) in WebKit, against each reference backend.
import { journeysIn } from '../support/everywhere.mjs';

journeysIn('webkit', { backendPort: 9920, shopPort: 8982 });
