// Process entry for a detached sandbox; bundled as dist/sandbox-daemon.js.
import { runDaemon } from './daemon.js';

await runDaemon(process.argv[2] ?? '{}');
