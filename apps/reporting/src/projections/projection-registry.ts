import { loanBookProjection } from '../loan-book/loan-book.projection';
import { networkDashboardProjection } from '../network-dashboard/network-dashboard.projection';
import { shgStatementProjection } from '../shg-statement/shg-statement.projection';
import type { Projection } from './projection';

export const PROJECTIONS: readonly Projection[] = [networkDashboardProjection, loanBookProjection, shgStatementProjection];

export const projectionNamed = (name: string): Projection | undefined => PROJECTIONS.find((p) => p.name === name);
