// Which SRS a directory holds, told by its G2 point (bn254_g2.dat: x.c0, x.c1, y.c0, y.c1,
// 32-byte big-endian each).
import fs from 'node:fs';
import path from 'node:path';

// [tau]_2 of the INSECURE dev SRS (scripts/dev-srs; circuits/dev-srs/src/main.rs).
export const DEV_G2 =
  '2211630e508cc63f49665d32a32c526d7d6d1ff92eb2da505ad8f6f16bed3eb1' +
  '0d7d1f16a5b225ab88ddf6cc1188818c5be1a34472ebfa9e0d7164e3f1febd20' +
  '067759a6453ac71b8c69024b156fa3ca55ce073846e8aeec1de557239418e56a' +
  '1a1940e039ea431f0ad8eebed562fc9b143589fb97eb2b2247ee0944b40a8d9e';

export function g2Of(dir) {
  const file = path.join(dir, 'bn254_g2.dat');
  if (!fs.existsSync(file)) throw new Error(`${dir}: no bn254_g2.dat (not an SRS directory)`);
  return fs.readFileSync(file).toString('hex');
}

export function checkDevSrs(dir) {
  if (g2Of(dir) !== DEV_G2) {
    console.error(`${dir} is not the dev SRS (its G2 differs); the committed verification keys are dev-SRS keys`);
    process.exit(2);
  }
}
