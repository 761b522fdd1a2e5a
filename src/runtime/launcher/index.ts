// Launching runs (docs/architecture.md, "Runs"): Runtime implements RunLauncher; the API, served runs and hosts
// depend on this interface, never on Runtime itself, so none of them imports runtime.ts.
export { Launcher, type LauncherDeps, type RunAsker, type RunHandle, type RunLauncher, type RunParts, type StartRunOptions } from './launcher.ts';
