import { designsSuite } from './designs-suite.ts';

designsSuite('kafka');
