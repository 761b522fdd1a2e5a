// Layering is enforced here, VS Code style: each environment folder may only import what its environment has.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_ONLY = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  'node:*',
  'better-sqlite3',
  'sqlite-vec',
  'isolated-vm',
  '@modelcontextprotocol/sdk/client/stdio*',
];
const noElectron = { name: 'electron', message: 'The runtime, common types, CLI and server never import electron; only src/main and src/preload do.' };
const noNode = { group: NODE_ONLY, message: 'Renderer and common code run without Node: talk to the runtime through the API contract in src/common.' };
const noRuntimeFromWeb = { group: ['**/runtime/**', '**/main/**', '**/preload/**', '**/cli/**'], message: 'The renderer reaches the runtime only through the API contract (src/common).' };
const NATIVE_MODULES = ['better-sqlite3', 'sqlite-vec', 'sqlite-vec-*', 'isolated-vm', '@napi-rs/keyring'];
const shellOnly = {
  paths: NATIVE_MODULES.filter((name) => !name.includes('*')).map((name) => ({ name, message: 'The Electron shell never loads a native module; the host does (docs/architecture-processes.md).' })),
  patterns: [
    { group: ['sqlite-vec-*', '@napi-rs/keyring-*', '**/runtime/**', '**/runtime', '**/server/**', '**/cli/**', '**/renderer/**', '**/sandbox/**'], message: 'The Electron shell imports only src/common and src/host/discovery.ts: the runtime lives in the host process.' },
    { regex: '(^|/)host/(?!discovery\\.ts$)', message: 'The Electron shell may import src/host/discovery.ts only.' },
  ],
};
const onlyRuntimeIndex = { group: ['**/runtime/*/**'], message: 'Import the runtime through src/runtime/index.ts, not its folders.' };
const onlyCapabilityIndex = {
  regex: '^(\\.\\./)+[^./][^/]*/(?!index\\.ts$)',
  message: 'Capabilities talk through each other\'s index.ts, never deep imports.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/main/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['src/runtime/*/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [onlyCapabilityIndex] }] },
  },
  {
    files: ['src/runtime/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [{ message: onlyCapabilityIndex.message, regex: '^\\./[^/]+/(?!index\\.ts$)' }] }] },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [onlyRuntimeIndex] }] },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [onlyRuntimeIndex] }] },
  },
  {
    files: ['src/host/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [onlyRuntimeIndex] }] },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [onlyRuntimeIndex] }] },
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', shellOnly] },
  },
  {
    files: ['src/common/**/*.ts', 'src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noNode, noRuntimeFromWeb] }] },
  },
);
