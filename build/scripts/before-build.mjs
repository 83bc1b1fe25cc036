// electron-builder `beforeBuild` hook (electron-builder.yml). Packaging needs better-sqlite3
// built for Electron. electron-builder's own rebuild falls into a known trap when run
// from an npm script (npm exports npm_config_nodedir=/usr, so node-gyp uses Node's headers
// and reports success), so for the host platform we make the Electron build ourselves with
// ensure-native (which verifies the ABI) and tell electron-builder to skip its rebuild.
import { electronPackageInfo, ensureForElectron, locateElectron, ElectronMissingError } from './ensure-native.mjs';

export default async function beforeBuild(context) {
  // Packaging never needs Node's headers; this also protects electron-builder's own rebuild below.
  delete process.env.npm_config_nodedir;
  delete process.env.NPM_CONFIG_NODEDIR;
  const sameHost = context.platform.nodeName === process.platform && context.arch === process.arch;
  if (!sameHost) return true; // cross builds: electron-builder fetches prebuilt binaries for the target
  let electron;
  try {
    electron = locateElectron();
  } catch (error) {
    if (!(error instanceof ElectronMissingError)) throw error;
    // Packaging offline with build.electronDist: no local binary to load-test with.
    const info = electronPackageInfo();
    electron = { executable: null, version: context.electronVersion ?? info.version, abi: info.abi };
  }
  await ensureForElectron({ electron });
  return false;
}
