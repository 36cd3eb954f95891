// Prints the attestation pallet's state as decoded JSON, read through @polkadot/api with the
// chain's own metadata (no custom type definitions): workers, releases, policy, collateral
// windows and pending re-attestation requests.
//
//   node inspect.mjs [ws://127.0.0.1:9944]
//
// Exit status 0 on success, 2 when the node cannot be reached or has no Attestation pallet.
import { ApiPromise, WsProvider } from '@polkadot/api';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(2);
}

const provider = new WsProvider(url, false);
const timer = setTimeout(() => fail(`${url}: no answer within 10 s`), 10_000);
provider.on('error', () => fail(`${url}: cannot connect`));
await provider.connect();
const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
clearTimeout(timer);

const q = api.query.attestation;
if (!q) fail(`${url}: the runtime has no Attestation pallet`);

const human = (codec) => codec.toPrimitive();
const entries = async (map) =>
  (await map.entries()).map(([key, value]) => ({
    key: human(key.args[0]),
    value: human(value.isSome !== undefined ? value.unwrap() : value),
  }));

const [workers, releases, policy, tdxTcbInfo, tdxPckCrl, tdxQeIdentity, tdxRootCaCrl, snpCrls, pendingRequests] =
  await Promise.all([
    entries(q.workers),
    entries(q.releases),
    q.policy(),
    entries(q.tdxTcbInfo),
    entries(q.tdxPckCrl),
    q.tdxQeIdentity(),
    q.tdxRootCaCrl(),
    entries(q.snpCrls),
    entries(q.pendingRequests),
  ]);
const freshness = (part) => (part.isSome ? human(part.unwrap().freshness) : null);

const header = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
const out = {
  node: url,
  chain: (await api.rpc.system.chain()).toString(),
  genesisHash: api.genesisHash.toHex(),
  finalizedBlock: header.number.toNumber(),
  workers: workers.map(({ key, value }) => ({ account: key, ...value })),
  releases: releases.map(({ key, value }) => ({ id: key, ...value })),
  policy: human(policy),
  tdxCollateral: {
    tcbInfo: tdxTcbInfo.map(({ key, value }) => ({ fmspc: key, freshness: value.freshness })),
    pckCrl: tdxPckCrl.map(({ key, value }) => ({ ca: key, freshness: value.freshness })),
    qeIdentity: freshness(tdxQeIdentity),
    rootCaCrl: freshness(tdxRootCaCrl),
  },
  snpCrls: snpCrls.map(({ key, value }) => ({
    product: key,
    thisUpdate: value.thisUpdate,
    nextUpdate: value.nextUpdate,
    revoked: value.revoked.length,
  })),
  pendingRequests: pendingRequests.map(({ key, value }) => ({ worker: key, ...value })),
};
console.log(JSON.stringify(out, null, 2));
await api.disconnect();
process.exit(0);
