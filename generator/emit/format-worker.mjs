// Formats files for generator/emit/format.ts in a worker thread. Plain JS so the worker needs no
// TypeScript loader; it only ever sees text and fixed prettier options.
import { parentPort } from "node:worker_threads";
import { format } from "prettier";

parentPort.on("message", async ({ id, content, options }) => {
  try {
    parentPort.postMessage({ id, content: await format(content, options) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.stack ? e.stack : e) });
  }
});
