import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly } from '../../../lib/local/assembly';
import { publishAssets } from '../../../lib/local/assets';
import { AssemblyResolver } from '../../../lib/local/intrinsics';
import { LocalObjectStore } from '../../../lib/local/object-store';
import { writeSampleAssembly } from './sample-app';

describe('publishAssets', () => {
  test('copies file assets of every stack to the bootstrap bucket of the local account and region; skips zip assets', () => {
    const resolver = new AssemblyResolver(new CloudAssembly(writeSampleAssembly()), { account: '111122223333', region: 'eu-west-1' });
    const store = new LocalObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), 'local-assets-')));
    const result = publishAssets(resolver, store);
    expect(result.published).toEqual([
      's3://cdk-hnb659fds-assets-111122223333-eu-west-1/aaaa1111.py',
      's3://cdk-hnb659fds-assets-111122223333-eu-west-1/bbbb2222.json',
    ]);
    expect(store.read('s3://cdk-hnb659fds-assets-111122223333-eu-west-1/aaaa1111.py').toString()).toBe('print("preprocess")\n');
    expect(result.skipped).toEqual([{ asset: 'Sample-Training/Handler/Code', reason: 'a zip asset (a directory); the local runner publishes file assets only' }]);
    // Publishing again is a no-op for unchanged files.
    expect(publishAssets(resolver, store).published).toHaveLength(2);
  });
});
