/*
 * A UDP test tool for the integration suite (busybox's nc has no UDP here).
 *   udp-echo serve PORT           echo every datagram back to its sender, forever
 *   udp-echo ask HOST PORT TEXT   send TEXT, print the reply; exit 1 if none comes within 2 s
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

int main(int argc, char **argv) {
    char buf[2048];
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    if (fd < 0 || argc < 3) {
        fprintf(stderr, "usage: udp-echo serve PORT | udp-echo ask HOST PORT TEXT\n");
        return 2;
    }
    if (strcmp(argv[1], "serve") == 0) {
        addr.sin_port = htons(atoi(argv[2]));
        if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
            perror("bind");
            return 1;
        }
        for (;;) {
            struct sockaddr_in peer;
            socklen_t len = sizeof peer;
            ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &len);
            if (n >= 0) {
                sendto(fd, buf, n, 0, (struct sockaddr *)&peer, len);
            }
        }
    }
    if (strcmp(argv[1], "ask") == 0 && argc == 5) {
        struct timeval timeout = {.tv_sec = 2};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        addr.sin_port = htons(atoi(argv[3]));
        inet_pton(AF_INET, argv[2], &addr.sin_addr);
        sendto(fd, argv[4], strlen(argv[4]), 0, (struct sockaddr *)&addr, sizeof addr);
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        if (n < 0) {
            return 1;
        }
        buf[n] = 0;
        printf("%s\n", buf);
        return 0;
    }
    return 2;
}
