// npm run bench:client [-- --quick] [-- --messages N] [-- --catch-up N]
// The desktop engine's numbers: the local store at scale (1,000,000 messages) and a
// catch-up of 10,000 missed messages from a real server, end to end, with the engine's
// memory as it sits in the tray. Prints numbers; asserts nothing.
import { formatStoreBench, runStoreBench } from './store';
import { runCatchUpBench } from './catch-up';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const numberAfter = (flag: string, fallback: number) => {
  const i = args.indexOf(flag);
  const value = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const storeMessages = numberAfter('--messages', quick ? 50_000 : 1_000_000);
const catchUpMessages = numberAfter('--catch-up', quick ? 1_000 : 10_000);

console.log(`Local store: ${storeMessages.toLocaleString('en-US')} messages in 500 conversations`);
const store = await runStoreBench({ messages: storeMessages, log: (line) => console.log(line) });
console.log(formatStoreBench(store));

console.log(`\nCatch-up: ${catchUpMessages.toLocaleString('en-US')} missed messages from a real server (child process)`);
const catchUp = await runCatchUpBench({ messages: catchUpMessages });
const row = (name: string, value: string, aim = '') => console.log(`  ${name.padEnd(34)} ${value.padStart(12)}  ${aim}`);
row('messages caught up', catchUp.messages.toLocaleString('en-US'));
row('sync batches announced', String(catchUp.batches));
row('catch-up (connected → online)', `${(catchUp.catchUpMs / 1000).toFixed(2)} s`, 'aim < 2 s');
row('start → online (incl. store open)', `${(catchUp.startToOnlineMs / 1000).toFixed(2)} s`);
row('throughput', `${Math.round(catchUp.messagesPerSecond).toLocaleString('en-US')} msg/s`);
row('engine process RSS (in the tray)', `${catchUp.engineRssMB.toFixed(1)} MB`, 'aim < 60 MB');
row('  of which V8 heap used', `${catchUp.engineHeapUsedMB.toFixed(1)} MB`);
row('  same process, nothing opened', `${catchUp.baselineRssMB.toFixed(1)} MB`);
