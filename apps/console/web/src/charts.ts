import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

/** Colours that keep 3:1 contrast against white and stay apart for colour-blind readers. */
export const COLOURS = { blue: '#1f5fa8', orange: '#b35900', green: '#2e7d32', red: '#b3261e', grey: '#5f6368' };

const drawn: Chart[] = [];

/** Draws a chart on the canvas of that id; every chart of the previous drawing is removed first by `clearCharts`. */
export function drawChart(canvasId: string, config: ChartConfiguration): void {
  const canvas = document.getElementById(canvasId);
  if (canvas instanceof HTMLCanvasElement)
    drawn.push(
      new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } }),
    );
}

export function clearCharts(): void {
  for (const chart of drawn.splice(0)) chart.destroy();
}

/** Paise to rupees for an axis: a chart scale is only a picture, the figures beside it are exact. */
export const rupees = (paise: number): number => paise / 100;
