// The multi-call entry with `xlsim shell` registered: used by the shell
// tests (and bench) only while cmd/xlsim/commands.ts does not import it yet.
import '../../cmd/xlsim/shell';
export * from '../../cmd/main';
