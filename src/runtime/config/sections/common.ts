import { z } from 'zod';

export const positiveSeconds = z.number().positive().max(86_400);
