# One plot of the benchmark, from a .dat file run.sh writes (name p50 p99).
# Fixed axes per plot: plots of different runs compare at a glance.
# Usage: gnuplot -e "dat='F.dat'; png='F.png'; title='...'; ylab='...';
#                    ymin=1; ymax=1e6; both=1" plots.gp
# both=1: p50 and p99 side by side (latencies); 0: one value (rates).
set terminal pngcairo size 1200,600 noenhanced
set output png
set title title
set ylabel ylab
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -40 scale 0
set grid ytics
set logscale y
set yrange [ymin:ymax]
set key top left
if (both) {
	plot dat using 2:xtic(1) title "p50", '' using 3 title "p99"
} else {
	plot dat using 2:xtic(1) title "per second"
}
