package dev.berth.cli;

import dev.berth.engine.client.FakeEngine;
import dev.berth.engine.testing.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The container, volume and network commands' output, byte for byte against the real docker CLI
 * reading the same canned answers from a fake engine.
 */
class ContainerOutputTest {
    static final String ID1 = "1a2b3c4d5e6f" + "0".repeat(52);
    static final String ID2 = "abcdefabcdef" + "1".repeat(52);
    static final long THREE_DAYS_AGO = Instant.now().getEpochSecond() - 3 * 86400 - 100;

    static final String CONTAINERS = """
            [{"Id":"%s","Names":["/web"],"Image":"nginx:1.27","ImageID":"sha256:%s","Command":"/docker-entrypoint.sh nginx -g 'daemon off;'",
              "Created":%d,"Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
              {"IP":"::","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},{"PrivatePort":443,"Type":"tcp"},
              {"PrivatePort":444,"Type":"tcp"},{"PrivatePort":53,"Type":"udp"},
              {"IP":"127.0.0.1","PrivatePort":9000,"PublicPort":9000,"Type":"tcp"},{"IP":"127.0.0.1","PrivatePort":9001,"PublicPort":9001,"Type":"tcp"}],
              "SizeRw":12345,"SizeRootFs":4567890,"Labels":{"b":"2","a":"1"},"State":"running","Status":"Up 3 days",
              "HostConfig":{"NetworkMode":"bridge"},"NetworkSettings":{"Networks":{"cli-net":{}}},
              "Mounts":[{"Type":"volume","Name":"averyveryverylongvolumename","Source":"/var/lib/x","Destination":"/data","Driver":"local"},
                {"Type":"bind","Source":"/host/dir","Destination":"/dir"}]},
             {"Id":"%s","Names":["/db","/web/db"],"Image":"sha256:%s","ImageID":"sha256:%s","Command":"sh",
              "Created":%d,"Ports":[],"Labels":{},"State":"exited","Status":"Exited (137) 2 days ago",
              "HostConfig":{"NetworkMode":"none"},"NetworkSettings":{"Networks":{}},"Mounts":[]}]"""
            .formatted(ID1, "f".repeat(64), THREE_DAYS_AGO, ID2, "e".repeat(64), "e".repeat(64), THREE_DAYS_AGO - 3600);

    @TempDir
    Path dir;
    FakeEngine engine;
    CliRun cli;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.unix(dir.resolve("engine.sock"));
        cli = new CliRun(engine, dir).systemClock();
        engine.json("GET", "/containers/json", 200, CONTAINERS);
    }

    @AfterEach
    void stop() throws IOException {
        engine.close();
    }

    private void same(String... args) {
        Processes.requireBinary("docker");
        Processes.Result docker = Processes.docker(engine.endpoint().uri(), dir.resolve(".docker"), args);
        CliRun.Result berth = cli.run(args);
        assertEquals(docker.stdout(), berth.out(), String.join(" ", args) + "\ndocker stderr: " + docker.stderr());
        assertEquals(docker.exitCode(), berth.status(), String.join(" ", args) + "\n" + docker.stderr() + "\n" + berth.err());
    }

    @Test
    void psTablesAndTemplates() {
        same("ps");
        same("ps", "-a");
        same("ps", "-a", "--no-trunc");
        same("ps", "-a", "-q");
        same("ps", "-a", "-s");
        same("ps", "-a", "--format", "table {{.Names}}\t{{.Labels}}\t{{.Mounts}}\t{{.Networks}}\t{{.LocalVolumes}}\t{{.State}}");
        same("ps", "-a", "--format", "{{.ID}} {{.Image}} {{.Command}} {{.CreatedAt}} {{.RunningFor}} {{.Ports}} {{.Size}}");
        same("container", "ls", "-a", "--format", "json");
    }

    @Test
    void portListsBindingsFromInspect() {
        engine.json("GET", "/containers/web/json", 200, """
                {"Id":"%s","Name":"/web","State":{"Running":true},"Config":{"Tty":false},
                 "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}],
                 "443/tcp":null,"53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}],"9000/tcp":[{"HostIp":"","HostPort":"9000"}]}}}"""
                .formatted(ID1));
        same("port", "web");
        same("port", "web", "80");
        same("port", "web", "53/udp");
    }

    @Test
    void topDiffAndStats() {
        engine.json("GET", "/containers/web/top", 200, """
                {"Titles":["UID","PID","PPID","C","STIME","TTY","TIME","CMD"],
                 "Processes":[["root","4242","4200","0","12:00","?","00:00:00","nginx: master process nginx -g daemon off;"],
                              ["101","4250","4242","0","12:00","?","00:00:00","nginx: worker process"]]}""");
        same("top", "web");
        engine.json("GET", "/containers/web/changes", 200, """
                [{"Path":"/etc","Kind":0},{"Path":"/etc/nginx.conf","Kind":1},{"Path":"/tmp/gone","Kind":2}]""");
        same("diff", "web");
        engine.json("GET", "/containers/web/stats", 200, """
                {"id":"%s","name":"/web","read":"2024-06-15T12:00:01Z","preread":"2024-06-15T12:00:00Z",
                 "pids_stats":{"current":3},
                 "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"read","value":1048576},
                   {"major":8,"minor":0,"op":"write","value":2097152}]},
                 "cpu_stats":{"cpu_usage":{"total_usage":2000000000},"system_cpu_usage":20000000000,"online_cpus":2},
                 "precpu_stats":{"cpu_usage":{"total_usage":1000000000},"system_cpu_usage":10000000000,"online_cpus":2},
                 "memory_stats":{"usage":52428800,"stats":{"inactive_file":10485760},"limit":2147483648},
                 "networks":{"eth0":{"rx_bytes":1500,"tx_bytes":2500}}}""".formatted(ID1));
        same("stats", "--no-stream", "web");
        same("stats", "--no-stream", "--no-trunc", "--format", "{{.Container}} {{.Name}} {{.ID}} {{.CPUPerc}} {{.MemPerc}}", "web");
    }

    @Test
    void volumeAndNetworkListings() {
        engine.json("GET", "/volumes", 200, """
                {"Volumes":[{"Name":"zeta","Driver":"local","Mountpoint":"/var/lib/berth/volumes/zeta/_data","Labels":{"x":"y"},"Scope":"local"},
                 {"Name":"alpha","Driver":"local","Mountpoint":"/var/lib/berth/volumes/alpha/_data","Labels":null,"Scope":"local"}],"Warnings":null}""");
        same("volume", "ls");
        same("volume", "ls", "-q");
        same("volume", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}} {{.Mountpoint}} {{.Labels}}");
        engine.json("GET", "/networks", 200, """
                [{"Name":"none","Id":"%s","Created":"2024-06-15T12:00:00.000000000Z","Scope":"local","Driver":"null","EnableIPv6":false,"Internal":false,"Labels":{}},
                 {"Name":"bridge","Id":"%s","Created":"2024-06-15T12:00:00.000000000Z","Scope":"local","Driver":"bridge","EnableIPv6":false,"Internal":false,"Labels":{"k":"v"}}]"""
                .formatted("9".repeat(64), "8".repeat(64)));
        same("network", "ls");
        same("network", "ls", "-q");
        same("network", "ls", "--no-trunc");
        same("network", "ls", "--format", "{{.Name}} {{.ID}} {{.IPv6}} {{.Internal}} {{.Labels}}");
    }
}
