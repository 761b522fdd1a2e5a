import { z } from 'zod';

/** Filled by the policy capability. */
export const policySchema = z.strictObject({});
