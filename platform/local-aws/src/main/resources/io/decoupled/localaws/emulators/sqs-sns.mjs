// SNS and SQS for the embedded environment: fauxqs, bound to loopback on a port the OS picks (or PORT).
// Prints "LISTENING <port>" once it accepts requests, and exits when its parent closes stdin, so that a
// killed JVM never leaves it behind.
//
// fauxqs keeps everything in memory and offers no persistence, so a restarted fauxqs would have lost its queues,
// topics and messages: a fault AWS does not have. What AWS does have is an endpoint that cannot be reached for a
// while and then answers again with its data. Two lines on stdin stage that inside this process: "offline" closes
// the listening port and every open connection (clients see connection refused or reset), "online" listens on
// the same port again. Queues, messages and their visibility timers live on meanwhile, as they do in AWS.
import { buildApp } from "fauxqs";

const app = buildApp({ logger: false, defaultRegion: process.env.AWS_REGION ?? "us-east-1" });
const address = await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT ?? 0) });
const port = Number(new URL(address).port);
console.log(`LISTENING ${port}`);

function command(line) {
  if (line === "offline" && app.server.listening) {
    app.server.close();
    app.server.closeAllConnections();
    console.log("OFFLINE");
  } else if (line === "online" && !app.server.listening) {
    app.server.listen(port, "127.0.0.1", () => console.log(`ONLINE ${port}`));
  }
}

let pending = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  pending += chunk;
  let newline;
  while ((newline = pending.indexOf("\n")) >= 0) {
    command(pending.slice(0, newline).trim());
    pending = pending.slice(newline + 1);
  }
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => app.close().finally(() => process.exit(0)));
}
