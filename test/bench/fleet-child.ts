/**
 * One run of a bench fleet in a process of its own (see fleet.ts); prints
 * its times as one line of JSON.
 *
 *   node .build/test/bench/fleet-child.js project <n> <outdir>
 *   node .build/test/bench/fleet-child.js bare <n> <outdir> <template cdk.tf.json>
 */
import { runFleet } from './fleet';

console.log(JSON.stringify(runFleet(process.argv.slice(2))));
