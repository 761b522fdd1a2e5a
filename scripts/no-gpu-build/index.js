// No getBinsDir(): node-llama-cpp treats this GPU build as not installed and uses the CPU build.
export {};
