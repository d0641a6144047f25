import { z } from 'zod';
export { ceilingDealerCatalog } from './workflows';
export const Probe = z.object({ id: z.string().min(1), at: z.iso.datetime() });
