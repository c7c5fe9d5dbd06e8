/**
 * The store's writer thread (see writer-link.ts): applies each batch it is sent on its
 * own connection and answers with the results, in the order the batches came.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteWriter } from './sqlite-writer.js';
import type { FromWriter, ToWriter, WriterThreadData } from './writer-link.js';

const port = parentPort;
if (!port) throw new Error('sqlite-writer-thread runs as a worker thread');
const data = workerData as WriterThreadData;
const writer = SqliteWriter.open(data.path, data.durability);

port.on('message', (msg: ToWriter) => {
  if (msg.type === 'close') {
    writer.close();
    port.close();
    return;
  }
  let reply: FromWriter;
  try {
    reply = { type: 'applied', seq: msg.seq, results: writer.apply(msg.batch) };
  } catch (e) {
    reply = { type: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
