// One index prefix per test run, so runs never see each other's documents; teardown deletes them.
export default function globalSetup(): void {
  process.env.LABELGATE_TEST_INDEX_PREFIX = `labelgate-test-${Date.now().toString(36)}`;
}
