// Kinesis for the embedded environment: kinesalite, bound to loopback on a port the OS picks (or PORT).
// In memory, or with DATA_PATH in a LevelDB directory, so that a restart on the same port finds its streams and
// records again (LevelDB writes each batch to its log before answering, so even a SIGKILL keeps what was acked).
// Streams become ACTIVE at once (the CREATING/UPDATING delays are for realism, not needed in tests).
// Prints "LISTENING <port>" and exits when its parent closes stdin.
const crypto = require("crypto");

// kinesalite predates ChildShards: where AWS ends a closed shard's GetRecords with the shards that replaced it
// (after SplitShard or MergeShards), kinesalite returns no next iterator and nothing else. KCL 2.3+ and 3.x
// insist on ChildShards to finish a parent shard, so a split would stall every KCL consumer here. This wraps
// kinesalite's GetRecords (before kinesalite loads it) to add them, as AWS does; nothing else changes.
const getRecordsPath = require.resolve("kinesalite/actions/getRecords");
const getRecords = require(getRecordsPath);
const kinesaliteDb = require("kinesalite/db");
require.cache[getRecordsPath].exports = function getRecordsWithChildShards(store, data, cb) {
  getRecords(store, data, (err, result) => {
    if (err || !result || result.NextShardIterator !== undefined) return cb(err, result);
    let streamName, shardId;
    try {
      const buffer = Buffer.from(data.ShardIterator, "base64");
      const decipher = crypto.createDecipheriv("aes-256-cbc", kinesaliteDb.ITERATOR_PWD_KEY, kinesaliteDb.ITERATOR_PWD_IV);
      [, streamName, shardId] = Buffer.concat([decipher.update(buffer.slice(8)), decipher.final()]).toString("utf8").split("/");
    } catch (e) {
      return cb(err, result);
    }
    store.getStream(streamName, (streamErr, stream) => {
      if (streamErr || !stream) return cb(err, result);
      const children = stream.Shards.filter((s) => s.ParentShardId === shardId || s.AdjacentParentShardId === shardId)
        .map((s) => ({
          ShardId: s.ShardId,
          ParentShards: [s.ParentShardId, s.AdjacentParentShardId].filter(Boolean),
          HashKeyRange: s.HashKeyRange,
        }));
      cb(null, children.length ? { ...result, ChildShards: children } : result);
    });
  });
};

const kinesalite = require("kinesalite");

const server = kinesalite({ path: process.env.DATA_PATH || undefined, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`LISTENING ${server.address().port}`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
