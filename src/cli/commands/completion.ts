import { Argument, type Command } from 'commander';
import { bashCompletion, zshCompletion } from '../completion.js';
import { print } from '../io.js';

const SHELLS = ['bash', 'zsh'] as const;

/** `zksim completion bash|zsh`: a completion script generated from the command tree (cli/completion.ts). */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a bash or zsh completion script for zksim (generated from its commands and options)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'after',
      '\nExit status: 0 the script was printed; 2 an unknown shell.\n' +
        '\nExamples:\n  source <(zksim completion bash)          # this shell; or save it as ~/.local/share/bash-completion/completions/zksim\n' +
        '  zksim completion zsh > ~/.zfunc/_zksim   # with fpath+=(~/.zfunc) before compinit in ~/.zshrc\n',
    )
    .action((shell: (typeof SHELLS)[number]) => {
      print(shell === 'bash' ? bashCompletion(program) : zshCompletion(program));
    });
}
