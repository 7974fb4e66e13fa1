/* Short TCP connections, for scripts/bench-vip.sh.
 *   tcp-connects serve PORT            accepts connections and closes each at once
 *   tcp-connects connect ADDR PORT N   opens and closes N connections one after the other; prints
 *                                      "N connections in S s: C/s, mean M ms, p50 P ms, p99 Q ms" */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "serve") == 0) {
        int s = socket(AF_INET, SOCK_STREAM, 0), on = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
        if (bind(s, (struct sockaddr *) &a, sizeof a) || listen(s, 1024)) { perror("serve"); return 1; }
        for (;;) { int c = accept(s, NULL, NULL); if (c >= 0) close(c); }
    }
    if (argc == 5 && strcmp(argv[1], "connect") == 0) {
        int n = atoi(argv[4]), failed = 0;
        double *took = calloc(n, sizeof *took), start = now();
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
        inet_pton(AF_INET, argv[2], &a.sin_addr);
        for (int i = 0; i < n; i++) {
            double t0 = now();
            int s = socket(AF_INET, SOCK_STREAM, 0);
            struct linger l = {1, 0};  /* reset on close: no TIME_WAIT to run out of ports */
            setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            if (connect(s, (struct sockaddr *) &a, sizeof a)) failed++;
            close(s);
            took[i] = (now() - t0) * 1000;
        }
        double all = now() - start, sum = 0;
        for (int i = 0; i < n; i++) sum += took[i];
        qsort(took, n, sizeof *took, compare);
        printf("%d connections in %.2f s: %.0f/s, mean %.3f ms, p50 %.3f ms, p99 %.3f ms, %d failed\n", n, all,
               n / all, sum / n, took[n / 2], took[n * 99 / 100], failed);
        return failed != 0;
    }
    fprintf(stderr, "usage: tcp-connects serve PORT | connect ADDR PORT N\n");
    return 2;
}
