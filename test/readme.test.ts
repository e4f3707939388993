/** Every README command but `npm start` runs, matches its golden output and its samples (test/readme/suite.ts). */
import { readmeSuite } from './readme/suite.js';

readmeSuite('rest');
