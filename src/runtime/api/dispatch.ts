// One call by name, as every transport makes it: method checked, arguments validated, errors turned into data.
import { isApiMethod, type ApiResult, type RuntimeApi } from '../../common/index.ts';
import { ApiArgumentError, toApiError } from './errors.ts';

export async function callApi(api: RuntimeApi, method: unknown, args: unknown): Promise<ApiResult> {
  try {
    if (!isApiMethod(method)) throw new ApiArgumentError(`unknown API method ${JSON.stringify(method)}`);
    const list = Array.isArray(args) ? [...(args as unknown[])] : [];
    while (list.length > 0 && list.at(-1) == null) list.pop(); // omitted optional arguments (JSON turns undefined into null)
    // The argument schemas are built at the first call, not when a runtime starts (a CLI run makes no API call).
    const { API_ARGUMENTS } = await import('./arguments.ts');
    const checked = API_ARGUMENTS[method].safeParse(list);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new ApiArgumentError(`${method}: bad argument ${issue.path.join('.') || ''}: ${issue.message}`.replace(' :', ':'));
    }
    const [section, name] = method.split('.') as [keyof RuntimeApi, string];
    const target = api[section] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const value = await target[name]!(...checked.data);
    return { ok: true, value: value ?? null };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}
