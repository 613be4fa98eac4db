// The AWS SDK warns once per process that its releases after January 2027 need Node 22. The
// toolchain here is Node 20 (package.json engines), the CLI tests create SDK clients against mocks,
// and the warning would be printed by every test worker: tests switch it off with the SDK's own
// variable. The CLI itself still shows it to people running it on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Jest runs one worker per CPU (jest.config.js), and some workers run local jobs (Python with
// OpenMP threads) while the others synthesize: each worker's jobs get one CPU's worth of threads,
// as the local runner's SAGEMAKER_LOCAL_CPUS allows, instead of a thread per CPU each. Measured on
// 2 CPUs: the Python suites took 115 s of CPU instead of 134 s, 63 s instead of 73 s of wall time.
process.env.SAGEMAKER_LOCAL_CPUS ??= '1';
