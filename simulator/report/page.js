// Draws the plots of a report page (simulator/report/include/spmc/sim/report_page.hpp) with
// Chart.js from the page's JSON block: one chart per canvas[data-plot]. No animation, so a
// screenshot shows the finished chart.
(function () {
  'use strict';
  const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
  const data = JSON.parse(document.getElementById('report-data').textContent);
  for (const plot of data.plots || []) {
    const canvas = document.querySelector('canvas[data-plot="' + plot.id + '"]');
    if (!canvas) {
      throw new Error('no canvas for plot ' + plot.id);
    }
    const categorical = Array.isArray(plot.categories);
    const datasets = plot.series.map(function (s, i) {
      const colour = s.colour || palette[i % palette.length];
      const divisor = plot.x_divisor || 1;
      return {
        label: s.label,
        data: categorical ? s.points.map(function (p) { return p[1]; })
                          : s.points.map(function (p) { return { x: p[0] / divisor, y: p[1] }; }),
        borderColor: colour,
        backgroundColor: plot.kind === 'bar' ? colour + 'cc' : colour,
        borderWidth: plot.kind === 'bar' ? 0 : 2,
        pointRadius: plot.kind === 'scatter' ? 4 : 0,
        stepped: plot.kind === 'line' && s.stepped === true,
        showLine: plot.kind !== 'scatter',
      };
    });
    new Chart(canvas, {
      type: plot.kind === 'bar' ? 'bar' : 'line',
      data: categorical ? { labels: plot.categories, datasets: datasets } : { datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: categorical ? undefined : false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          title: { display: true, text: plot.title, font: { size: 15 } },
          legend: { display: true, position: 'bottom' },
        },
        scales: {
          x: {
            type: categorical ? 'category' : 'linear',
            stacked: plot.stacked === true,
            title: { display: true, text: plot.x_label },
          },
          // Logarithmic: labels only at 1, 2, 5 x 10^k, and room below 1 so a bar of one shows.
          y: plot.log_y ? { type: 'logarithmic', min: 0.5,
                            ticks: { callback: function (v) {
                              return Number.isInteger(v) && /^[125]0*$/.test(String(v))
                                ? v.toLocaleString('en-US') : ''; } },
                            title: { display: true, text: plot.y_label } }
                        : { beginAtZero: true, stacked: plot.stacked === true,
                            ticks: plot.stacked ? { stepSize: 1 } : {},
                            title: { display: true, text: plot.y_label } },
        },
      },
    });
  }
})();
