package dev.berth.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Shell completion scripts for bash and zsh, generated from the command table so that they can
 * never list a command that does not exist. Names of containers, images, volumes and networks are
 * asked of the engine when completing, through {@code berth ... --format}: the same host the
 * command line being completed would use, since the script passes the {@code -H} it finds.
 */
final class CompletionScript {
    /** What a command's positional arguments name, by command factory. */
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("Attach", "running"), Map.entry("Exec", "running"), Map.entry("Kill", "running"),
            Map.entry("Pause", "running"), Map.entry("Stop", "running"), Map.entry("Top", "running"),
            Map.entry("Stats", "running"),
            Map.entry("Commit", "containers"), Map.entry("ContainerInspect", "containers"), Map.entry("Diff", "containers"),
            Map.entry("Export", "containers"), Map.entry("Logs", "containers"), Map.entry("Port", "containers"),
            Map.entry("Rename", "containers"), Map.entry("Restart", "containers"), Map.entry("Rm", "containers"),
            Map.entry("Start", "containers"), Map.entry("Unpause", "containers"), Map.entry("Wait", "containers"),
            Map.entry("Cp", "containers"),
            Map.entry("Inspect", "containers images volumes networks"),
            Map.entry("Run", "images"), Map.entry("Create", "images"), Map.entry("Rmi", "images"),
            Map.entry("History", "images"), Map.entry("ImageInspect", "images"), Map.entry("Save", "images"),
            Map.entry("Tag", "images"), Map.entry("Push", "images"),
            Map.entry("VolumeInspect", "volumes"), Map.entry("VolumeRm", "volumes"),
            Map.entry("NetworkInspect", "networks"), Map.entry("NetworkRm", "networks"),
            Map.entry("NetworkConnect", "networks containers"), Map.entry("NetworkDisconnect", "networks containers"));

    private CompletionScript() {
    }

    static String bash() {
        StringBuilder s = new StringBuilder();
        s.append("""
                # bash completion for berth: source <(berth completion bash)
                _berth_engine() {
                    local cmd="${_berth_cmd:-berth}"
                    "$cmd" "${_berth_host[@]}" "$@" 2>/dev/null
                }
                _berth_names() {
                    local kind
                    for kind in $1; do
                        case $kind in
                            running) _berth_engine ps --format '{{.Names}}' ;;
                            containers) _berth_engine ps -a --format '{{.Names}}' ;;
                            images) _berth_engine images --format '{{.Repository}}:{{.Tag}}' | grep -v '<none>' ;;
                            volumes) _berth_engine volume ls -q ;;
                            networks) _berth_engine network ls --format '{{.Name}}' ;;
                        esac
                    done
                }
                _berth() {
                    local cur="${COMP_WORDS[COMP_CWORD]}" cmd="" sub="" i w
                    _berth_cmd="${COMP_WORDS[0]}"
                    _berth_host=()
                    for ((i = 1; i < COMP_CWORD; i++)); do
                        w="${COMP_WORDS[i]}"
                        case "$w" in
                            -H|--host) _berth_host=(-H "${COMP_WORDS[i+1]}"); ((i++)); continue ;;
                            --config|-l|--log-level) ((i++)); continue ;;
                            -*) continue ;;
                        esac
                        if [ -z "$cmd" ]; then cmd="$w"
                        elif [ -z "$sub" ] && [[ " $(_berth_groups) " == *" $cmd "* ]]; then sub="$w"
                        else break
                        fi
                    done
                    if [ -z "$cmd" ]; then
                        COMPREPLY=($(compgen -W "$(_berth_top)" -- "$cur"))
                        return
                    fi
                    if [[ "$cur" == -* ]]; then
                        COMPREPLY=($(compgen -W "--help" -- "$cur"))
                        return
                    fi
                    if [ -z "$sub" ]; then
                        local children
                        children="$(_berth_children "$cmd")"
                        if [ -n "$children" ]; then
                            COMPREPLY=($(compgen -W "$children" -- "$cur"))
                            return
                        fi
                    fi
                    local kind
                    kind="$(_berth_kind "$cmd" "$sub")"
                    [ -n "$kind" ] && COMPREPLY=($(compgen -W "$(_berth_names "$kind")" -- "$cur"))
                }
                """);
        Set<String> top = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        for (Commands.Entry e : Commands.TOP) {
            top.add(e.name());
            top.addAll(e.aliases());
            if (e.isGroup()) {
                groups.add(e.name());
            }
        }
        top.add("completion");
        top.add("help");
        s.append("_berth_top() { echo '").append(String.join(" ", top)).append("'; }\n");
        s.append("_berth_groups() { echo '").append(String.join(" ", groups)).append("'; }\n");
        s.append("_berth_children() {\n    case \"$1\" in\n");
        for (Commands.Entry e : Commands.TOP) {
            if (e.isGroup()) {
                Set<String> words = new TreeSet<>();
                for (Commands.Entry c : e.children()) {
                    words.add(c.name());
                    words.addAll(c.aliases());
                }
                s.append("        ").append(e.name()).append(") echo '").append(String.join(" ", words)).append("' ;;\n");
            }
        }
        s.append("        completion) echo 'bash zsh' ;;\n    esac\n}\n");
        s.append("_berth_kind() {\n    case \"$1 $2\" in\n");
        Set<String> cases = new LinkedHashSet<>();
        for (Commands.Entry e : Commands.TOP) {
            if (e.isGroup()) {
                for (Commands.Entry c : e.children()) {
                    addCase(cases, pattern(e.name(), c), c.factory());
                }
            } else {
                addCase(cases, pattern(null, e), e.factory());
            }
        }
        cases.forEach(c -> s.append("        ").append(c).append('\n'));
        s.append("    esac\n}\ncomplete -F _berth berth\n");
        return s.toString();
    }

    /** zsh runs the bash script through its bash-completion emulation, as many CLIs ship theirs. */
    static String zsh() {
        return "#compdef berth\n# zsh completion for berth: source <(berth completion zsh)\n"
                + "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + bash();
    }

    /** A case pattern for every way of writing the command: {@code "image rm"|"image rmi"|...}. */
    private static String pattern(String group, Commands.Entry e) {
        List<String> names = new java.util.ArrayList<>();
        names.add(e.name());
        names.addAll(e.aliases());
        List<String> quoted = new java.util.ArrayList<>();
        for (String n : names) {
            quoted.add("\"" + (group == null ? n + " " : group + " " + n) + "\"");
        }
        return String.join("|", quoted);
    }

    private static void addCase(Set<String> cases, String pattern, String factory) {
        String kind = factory == null ? null : KINDS.get(factory);
        if (kind != null) {
            cases.add(pattern + ") echo '" + kind + "' ;;");
        }
    }
}
