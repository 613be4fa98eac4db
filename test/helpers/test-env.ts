// The AWS SDK warns once per process that its releases after January 2027 need Node 22. The
// toolchain here is Node 20 (package.json engines), the CLI tests create SDK clients against mocks,
// and the warning would be printed by every test worker: tests switch it off with the SDK's own
// variable. The CLI itself still shows it to people running it on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
