export { type ChartData, chartXml } from './chart-xml.ts';
export { placeCharts } from './place.ts';
export type { ChartSpec } from './spec.ts';
