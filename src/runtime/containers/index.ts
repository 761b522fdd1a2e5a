// Containers for subagents: which engine (Podman or Docker) answers, the `run` command line of one subagent, its
// labels and removal, the reaper of orphans, the image Rein builds offline, and the same spec as a Kubernetes Job.
export { findEngine, exec, type ContainerEngine, type EngineChoice, type EngineName } from './engine.ts';
export {
  runArgs,
  modelUrlInContainer,
  CONTAINER_USER,
  CONFIG_FILE,
  DATA_DIR,
  DATA_MOUNT,
  MODEL_HOST_ALIAS,
  type ContainerSpec,
  type ContainerMount,
  type ContainerNetwork,
} from './run-spec.ts';
export { PARENT_LABEL, AGENT_LABEL, RUN_LABEL, parentIdentity, formatIdentity, parseIdentity, isAlive, type ParentIdentity } from './labels.ts';
export { containerExit, removeContainer, removeContainerNow, findOrphans, reapOrphans, type ContainerExit, type Orphan } from './lifecycle.ts';
export { buildImage, checkImage, imageLabels, defaultImageName, IMAGE_LABEL, VERSION_LABEL, BUILD_LABEL, type BuiltImage, type ImageCheck } from './image.ts';
export { installation, buildId, APP_ROOT, type Installation } from './image-files.ts';
export { kubernetesObjects, kubernetesManifest, type JobOptions } from './kubernetes.ts';
export { ContainerEngineError, ContainerImageError } from './errors.ts';
