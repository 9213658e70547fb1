// Lint: typescript-eslint's recommended rules, plus the house rules that keep startup fast
// (no static import of heavy modules where the command tree is built) and commands thin.
import tseslint from 'typescript-eslint';

const HEAVY = ['undici', 'node-forge', 'ssh2', '@inquirer/prompts', 'cli-table3', 'ora', 'yaml', '@peculiar/x509', 'jose'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'completions/**', 'coverage/**', '.real-servers/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Loaded when the command tree is built: heavy modules only through `await import()`.
    files: ['commands/**/*.ts', 'src/cli.ts', 'src/main.ts', 'src/entry.ts', 'src/core/**/*.ts', 'src/config/**/*.ts', 'src/help/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: HEAVY.map((name) => ({ name, message: 'load it lazily with await import() inside the command', allowTypeImports: true })) }],
    },
  },
  {
    // Commands render through the output layer, never console.
    files: ['commands/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The sandbox is a separate world: emulators never share code with the clients.
    files: ['src/sandbox/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/services/**', '**/workflows/**', '**/http/**', '**/auth/**', '**/pki/**', '**/core/**', '**/commands/**'], message: 'emulators import nothing from the CLI' }] }],
    },
  },
);
