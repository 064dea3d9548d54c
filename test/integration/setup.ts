// Integration tests drive kafkajs in the test process as well as through the CLI: its warnings
// are filtered the same way, so that a test's output shows what the CLI would.
import { printWarningsExceptHarmless } from '../../cli/warnings.ts';

printWarningsExceptHarmless();
