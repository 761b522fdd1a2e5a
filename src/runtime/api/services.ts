// The provider registry of capability services: each capability registers the API section it serves.
import { API_METHODS, type ApiSections, type CapabilityName } from '../../common/index.ts';
import { CapabilityUnavailableError } from './errors.ts';

export type RuntimeServices = { -readonly [C in CapabilityName]?: ApiSections[C] };

/** The API section of a capability: forwards to the service registered at call time, or fails with `unavailable`. */
export function capabilitySection<C extends CapabilityName>(services: RuntimeServices, capability: C): ApiSections[C] {
  const methods = API_METHODS[capability] as readonly string[];
  const call = (method: string) => (...args: unknown[]) => {
    const service = services[capability] as Record<string, (...a: unknown[]) => Promise<unknown>> | undefined;
    if (!service) return Promise.reject(new CapabilityUnavailableError(capability));
    return service[method]!(...args);
  };
  return Object.fromEntries(methods.map((method) => [method, call(method)])) as unknown as ApiSections[C];
}
