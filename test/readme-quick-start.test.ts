/** The README's main job, `npm start`, runs in its own file beside the other README commands (test/readme/suite.ts). */
import { readmeSuite } from './readme/suite.js';

readmeSuite('quick-start');
