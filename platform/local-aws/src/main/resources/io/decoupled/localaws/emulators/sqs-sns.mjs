// SNS and SQS for the embedded environment: fauxqs, bound to loopback on a port the OS picks.
// Prints "LISTENING <port>" once it accepts requests, and exits when its parent closes stdin, so that a
// killed JVM never leaves it behind.
import { buildApp } from "fauxqs";

const app = buildApp({ logger: false, defaultRegion: process.env.AWS_REGION ?? "us-east-1" });
const address = await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT ?? 0) });
console.log(`LISTENING ${new URL(address).port}`);

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => app.close().finally(() => process.exit(0)));
}
