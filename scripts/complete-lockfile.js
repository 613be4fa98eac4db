#!/usr/bin/env node
// The npm registry this project's machines reach does not serve some platform-specific optional
// packages (unrs-resolver's bindings for other operating systems and CPUs, a dependency of
// jest 30). `npm install` then leaves them out of package-lock.json, and `npm ci` refuses a
// lock file that lacks an optional dependency. This adds the missing entries with their os/cpu
// fields; npm ci skips them on this platform without fetching them.
// Run after `npm install` changes the lock file: node scripts/complete-lockfile.js
const fs = require('fs');
const path = require('path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf-8'));
const platforms = {
  'android-arm-eabi': [['android'], ['arm']],
  'android-arm64': [['android'], ['arm64']],
  'darwin-arm64': [['darwin'], ['arm64']],
  'darwin-x64': [['darwin'], ['x64']],
  'freebsd-x64': [['freebsd'], ['x64']],
  'linux-arm-gnueabihf': [['linux'], ['arm']],
  'linux-arm-musleabihf': [['linux'], ['arm']],
  'linux-arm64-gnu': [['linux'], ['arm64']],
  'linux-arm64-musl': [['linux'], ['arm64']],
  'linux-loong64-gnu': [['linux'], ['loong64']],
  'linux-loong64-musl': [['linux'], ['loong64']],
  'linux-ppc64-gnu': [['linux'], ['ppc64']],
  'linux-riscv64-gnu': [['linux'], ['riscv64']],
  'linux-riscv64-musl': [['linux'], ['riscv64']],
  'linux-s390x-gnu': [['linux'], ['s390x']],
  'linux-x64-gnu': [['linux'], ['x64']],
  'linux-x64-musl': [['linux'], ['x64']],
  'openharmony-arm64': [['openharmony'], ['arm64']],
  'wasm32-wasi': [undefined, ['wasm32']],
  'win32-arm64-msvc': [['win32'], ['arm64']],
  'win32-ia32-msvc': [['win32'], ['ia32']],
  'win32-x64-msvc': [['win32'], ['x64']],
};

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  if (!key.endsWith('node_modules/unrs-resolver')) continue;
  const base = key.slice(0, -'unrs-resolver'.length);
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `${base}${name}`;
    if (lock.packages[target]) continue;
    const suffix = name.replace('@unrs/resolver-binding-', '');
    const [os, cpu] = platforms[suffix] ?? [undefined, undefined];
    if (!cpu) throw new Error(`unknown platform of ${name}; add it to scripts/complete-lockfile.js`);
    lock.packages[target] = { version, cpu, dev: entry.dev, license: 'MIT', optional: true, ...(os ? { os } : {}) };
    added++;
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
