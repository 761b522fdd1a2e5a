// Builds a RuntimeApi from a transport: one `invoke` for calls and one `subscribe` for pushed events.
// The renderer uses it over the preload bridge and over WebSocket, so the UI has one client.
import { ApiError, type ApiResult } from './errors.ts';
import type { ApiEvent, Unsubscribe } from './events.ts';
import { API_METHODS, type ApiMethod, type RuntimeApi } from './methods.ts';

export interface ApiTransport {
  invoke(method: ApiMethod, args: unknown[]): Promise<ApiResult>;
  subscribe(listener: (event: ApiEvent) => void): Unsubscribe;
}

export function createApiClient(transport: ApiTransport): RuntimeApi {
  const sections = Object.fromEntries(
    Object.entries(API_METHODS).map(([section, names]) => [
      section,
      Object.fromEntries(
        names.map((name) => [
          name,
          async (...args: unknown[]) => {
            while (args.length > 0 && args.at(-1) === undefined) args.pop(); // omitted optional arguments
            const result = await transport.invoke(`${section}.${name}` as ApiMethod, args);
            if (!result.ok) throw new ApiError(result.error);
            return result.value;
          },
        ]),
      ),
    ]),
  );
  return { ...sections, onEvent: (listener) => transport.subscribe(listener) } as RuntimeApi;
}
