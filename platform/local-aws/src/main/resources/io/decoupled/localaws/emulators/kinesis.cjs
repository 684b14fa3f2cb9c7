// Kinesis for the embedded environment: kinesalite (in memory), bound to loopback on a port the OS picks.
// Streams become ACTIVE at once (the CREATING/UPDATING delays are for realism, not needed in tests).
// Prints "LISTENING <port>" and exits when its parent closes stdin.
const kinesalite = require("kinesalite");

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`LISTENING ${server.address().port}`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
