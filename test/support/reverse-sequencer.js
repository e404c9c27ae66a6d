// Runs test files in reverse path order (the default order is by past duration), to check
// that no e2e file depends on another having run first:
//   npx jest --selectProjects e2e --randomize --testSequencer ./test/support/reverse-sequencer.js
// (--randomize shuffles the tests inside each file as well; it prints its seed.)
const Sequencer = require('@jest/test-sequencer').default;

class ReverseSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => b.path.localeCompare(a.path));
  }
}

module.exports = ReverseSequencer;
