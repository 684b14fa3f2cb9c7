// DynamoDB for the embedded environment: dynalite (Apache-2.0), bound to loopback on a port the OS picks (or
// PORT). In memory, or with DATA_PATH in a LevelDB directory, so that a restart on the same port finds its tables
// and items again. Prints "LISTENING <port>" and exits when its parent closes stdin.
//
// The KCL 3 keeps its leases in a table it creates itself (pay-per-request) and then adds the global secondary
// index LeaseOwnerToLeaseKeyIndex with UpdateTable. Unmodified dynalite 4.0.0 rejects that call (it insists on
// ProvisionedThroughput for the new index, which AWS forbids on pay-per-request tables), and even with
// provisioned billing it accepts the call but never creates the index. This wrapper teaches dynalite's
// UpdateTable to create an index, as AWS does: throughput optional, attribute definitions merged, the index
// ACTIVE at once and backfilled with the items already in the table (the KCL writes its first leases before it
// adds the index). Nothing else changes; the KCL runs with its default settings, as it does in AWS.
const dynaliteValidations = require("dynalite/validations/updateTable");
const createTableValidations = require("dynalite/validations/createTable");
const db = require("dynalite/db");

// Validation: the throughput of a created index is optional, and the key attributes may be defined.
const createAction = dynaliteValidations.types.GlobalSecondaryIndexUpdates.children.children.Create;
delete createAction.children.ProvisionedThroughput.notNull;
dynaliteValidations.types.AttributeDefinitions = createTableValidations.types.AttributeDefinitions;

const updateTablePath = require.resolve("dynalite/actions/updateTable");
const updateTable = require(updateTablePath);

require.cache[updateTablePath].exports = function updateTableCreatingIndexes(store, data, cb) {
  const creates = (data.GlobalSecondaryIndexUpdates || []).filter((u) => u.Create).map((u) => u.Create);
  if (!creates.length) return updateTable(store, data, cb);
  const rest = { ...data, GlobalSecondaryIndexUpdates: (data.GlobalSecondaryIndexUpdates || []).filter((u) => !u.Create) };
  const hasOtherChanges = rest.GlobalSecondaryIndexUpdates.length || data.ProvisionedThroughput || data.BillingMode;
  createIndexes(store, data.TableName, creates, data.AttributeDefinitions || [], (err, table) => {
    if (err) return cb(err);
    if (!hasOtherChanges) return cb(null, { TableDescription: table });
    if (!rest.GlobalSecondaryIndexUpdates.length) delete rest.GlobalSecondaryIndexUpdates;
    updateTable(store, rest, cb);
  });
};

function createIndexes(store, tableName, creates, attributeDefinitions, cb) {
  const tableDb = store.tableDb;
  tableDb.lock(tableName, (release) => {
    cb = release(cb);
    store.getTable(tableName, false, (err, table) => {
      if (err) return cb(err);
      const existing = new Set((table.GlobalSecondaryIndexes || []).map((i) => i.IndexName));
      const duplicate = creates.find((c) => existing.has(c.IndexName));
      if (duplicate) return cb(db.validationError("One or more parameter values were invalid: Index already exists: " + duplicate.IndexName));
      const defined = new Set(table.AttributeDefinitions.map((a) => a.AttributeName));
      for (const definition of attributeDefinitions) {
        if (!defined.has(definition.AttributeName)) {
          table.AttributeDefinitions.push(definition);
          defined.add(definition.AttributeName);
        }
      }
      const undefinedKey = creates.flatMap((c) => c.KeySchema).find((k) => !defined.has(k.AttributeName));
      if (undefinedKey) {
        return cb(db.validationError("One or more parameter values were invalid: Some index key attributes are not defined in "
          + "AttributeDefinitions. Keys: [" + undefinedKey.AttributeName + "]"));
      }
      const indexes = creates.map((c) => ({
        IndexName: c.IndexName,
        KeySchema: c.KeySchema,
        Projection: c.Projection,
        IndexStatus: "ACTIVE",
        ProvisionedThroughput: { ...(c.ProvisionedThroughput || { ReadCapacityUnits: 0, WriteCapacityUnits: 0 }), NumberOfDecreasesToday: 0 },
        IndexArn: table.TableArn + "/index/" + c.IndexName,
        IndexSizeBytes: 0,
        ItemCount: 0,
      }));
      table.GlobalSecondaryIndexes = (table.GlobalSecondaryIndexes || []).concat(indexes);
      backfill(store, table, indexes, (backfillErr) => {
        if (backfillErr) return cb(backfillErr);
        tableDb.put(tableName, table, (putErr) => cb(putErr, table));
      });
    });
  });
}

// Writes the index entries of every item already in the table, as AWS's index backfill does.
function backfill(store, table, indexes, cb) {
  const items = [];
  store.getItemDb(table.TableName).createValueStream()
    .on("data", (item) => items.push(item))
    .on("error", cb)
    .on("end", () => {
      const writes = [];
      for (const item of items) {
        for (const put of db.getIndexActions(indexes, null, item, table).puts) {
          writes.push([put.index, put.key, put.item]);
        }
      }
      let pending = writes.length;
      if (!pending) return cb();
      let failed = false;
      for (const [index, key, item] of writes) {
        store.getIndexDb("Global", table.TableName, index).put(key, item, (err) => {
          if (failed) return;
          if (err) {
            failed = true;
            return cb(err);
          }
          if (--pending === 0) cb();
        });
      }
    });
}

const dynalite = require("dynalite");

// Tables and indexes become ACTIVE at once (the CREATING/UPDATING delays are for realism, not needed here).
const server = dynalite({ path: process.env.DATA_PATH || undefined, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`LISTENING ${server.address().port}`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => process.exit(0));
}
