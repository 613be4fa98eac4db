// Jest loads snapshot serializers by path; this one is the library's own, as users get it.
export { test, serialize } from '../../lib/testing/snapshot-serializer';
