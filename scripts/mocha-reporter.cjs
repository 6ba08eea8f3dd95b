// Spec reporter plus a plain closing line "N passed, N failed" that CI reads as the test count.
const Mocha = require("mocha");
const { Spec } = Mocha.reporters;
const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class CountingReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(EVENT_TEST_PASS, () => passed++);
    runner.on(EVENT_TEST_FAIL, () => failed++);
    runner.on(EVENT_TEST_PENDING, () => skipped++);
    process.on("exit", () => {
      const tail = skipped > 0 ? `, ${skipped} skipped` : "";
      process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
    });
  }
}
module.exports = CountingReporter;
