/**
 * The no-op ceiling workflow bundled together with the engine's workflow modules, as the
 * engine's worker bundles them: the difference to the plain ceiling is what evaluating the
 * engine's workflow code (and what it imports) costs each workflow in the sandbox.
 */
export { ceilingDealerCatalog } from './workflows';
export * from '../../workflows';
