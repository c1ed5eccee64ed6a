# bash completion for growthctl                                   -*- shell-script -*-
# Method names for `growthctl rpc` are asked from the running daemon (never started for this).

_growthctl_files() {
    if declare -F _filedir >/dev/null; then _filedir; else COMPREPLY=($(compgen -f -- "$cur")); fi
}

_growthctl_methods() {
    growthctl --no-autostart --json rpc daemon.describe 2>/dev/null |
        grep -o '"name":"[a-z_]*\.[a-z_.]*"' | cut -d'"' -f4
}

_growthctl_accounts() {
    growthctl --no-autostart --json account list 2>/dev/null |
        grep -o '"name":"[a-z0-9._-]*"' | cut -d'"' -f4
}

_growthctl() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else  # without the bash-completion package
        cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cword=$COMP_CWORD
        words=("${COMP_WORDS[@]}")
    fi

    local globals="--socket --json --no-autostart --verbose -v --version --help -h"
    local verbs="status rpc preview account post schedule show retry resolve list cancel reschedule when calendar quota watch unlock lock vault log stop help"
    local when_opts="--at --tz --fold --catch-up"

    case $prev in
        --socket)
            _growthctl_files
            return ;;
        -p|--platform)
            COMPREPLY=($(compgen -W "x linkedin facebook instagram threads mastodon bluesky" -- "$cur"))
            return ;;
        --to)
            COMPREPLY=($(compgen -W "$(_growthctl_accounts) x linkedin facebook instagram threads mastodon bluesky" -- "$cur"))
            return ;;
        --media-url|--at|--catch-up|--from|--cursor|--limit|--month)
            return ;;
        --tz)
            COMPREPLY=($(compgen -W "$(cd /usr/share/zoneinfo 2>/dev/null && find . -type f -name '[A-Z]*' | sed 's|^\./||' | grep -v '^posix/\|^right/')" -- "$cur"))
            return ;;
        --fold)
            COMPREPLY=($(compgen -W "earlier later" -- "$cur"))
            return ;;
        --state)
            COMPREPLY=($(compgen -W "scheduled publishing published partial failed unknown missed canceled needs_auth" -- "$cur"))
            return ;;
        --account)
            COMPREPLY=($(compgen -W "$(_growthctl_accounts)" -- "$cur"))
            return ;;
        --numbering)
            local IFS=$'\n'
            COMPREPLY=($(compgen -W $'none\n1/n\n(1/n)\n🧵 1/n' -- "$cur"))
            return ;;
        -f|--token-file|--app-password-file)
            _growthctl_files
            return ;;
    esac

    # The verb is the first word that is not an option or an option's argument.
    local verb="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --socket) ((i++)) ;;
            -*) ;;
            *) verb=${words[i]}; break ;;
        esac
    done

    case $verb in
        "")
            COMPREPLY=($(compgen -W "$globals $verbs" -- "$cur")) ;;
        status)
            COMPREPLY=($(compgen -W "$globals" -- "$cur")) ;;
        help)
            [[ $prev == help ]] && COMPREPLY=($(compgen -W "${verbs% help}" -- "$cur")) ;;
        log)
            COMPREPLY=($(compgen -W "$globals -f --follow -n --lines" -- "$cur")) ;;
        stop)
            COMPREPLY=($(compgen -W "$globals" -- "$cur")) ;;
        rpc)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$globals" -- "$cur"))
            elif [[ $prev == rpc ]]; then
                COMPREPLY=($(compgen -W "$(_growthctl_methods)" -- "$cur"))
            fi ;;
        preview)
            COMPREPLY=($(compgen -W "$globals -p --platform --numbering --no-split --json -f" -- "$cur")) ;;
        post)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$globals --to --numbering --media-url $when_opts --dry-run --no-wait --open -f" -- "$cur"))
            fi ;;
        schedule)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$globals --to --numbering --media-url $when_opts --dry-run -f" -- "$cur"))
            fi ;;
        list)
            COMPREPLY=($(compgen -W "$globals --state --account --from --to --tz --limit --cursor" -- "$cur")) ;;
        cancel)
            COMPREPLY=($(compgen -W "$globals" -- "$cur")) ;;
        reschedule)
            COMPREPLY=($(compgen -W "$globals $when_opts" -- "$cur")) ;;
        when)
            COMPREPLY=($(compgen -W "$globals --tz --fold" -- "$cur")) ;;
        calendar)
            COMPREPLY=($(compgen -W "$globals --month --tz --ics" -- "$cur")) ;;
        watch)
            COMPREPLY=($(compgen -W "$globals" -- "$cur")) ;;
        quota)
            if [[ $prev == --account ]]; then
                COMPREPLY=($(compgen -W "$(_growthctl_accounts)" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$globals --account" -- "$cur"))
            fi ;;
        show)
            COMPREPLY=($(compgen -W "$globals" -- "$cur")) ;;
        retry)
            COMPREPLY=($(compgen -W "$globals --no-wait" -- "$cur")) ;;
        resolve)
            if [[ $prev == --account ]]; then
                COMPREPLY=($(compgen -W "$(_growthctl_accounts)" -- "$cur"))
            elif [[ $prev == --part || $prev == --published ]]; then
                COMPREPLY=()
            else
                COMPREPLY=($(compgen -W "$globals --account --part --published --not-published" -- "$cur"))
            fi ;;
        account)
            local sub="" j
            for ((j = i + 1; j < cword; j++)); do
                case ${words[j]} in -*) ;; *) sub=${words[j]}; break ;; esac
            done
            case $sub in
                "") COMPREPLY=($(compgen -W "add login list show update refresh remove test" -- "$cur")) ;;
                login)
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "$globals --name --no-browser --paste --api-base --web-base --username --author --instance --page --handle --service --app-password-file" -- "$cur"))
                    elif [[ $prev == login ]]; then
                        COMPREPLY=($(compgen -W "x linkedin facebook instagram threads mastodon bluesky" -- "$cur"))
                    elif [[ $prev == --app-password-file ]]; then
                        COMPREPLY=($(compgen -f -- "$cur"))
                    elif [[ $prev == --name ]]; then
                        COMPREPLY=($(compgen -W "$(_growthctl_accounts)" -- "$cur"))
                    fi ;;
                add)
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "$globals --name --api-base --web-base --token-file --token-stdin --username --author --page-id --ig-user-id --user-id --instance --max-characters --handle --app-password-file --service --no-check" -- "$cur"))
                    elif [[ $prev == add ]]; then
                        COMPREPLY=($(compgen -W "x linkedin facebook instagram threads mastodon bluesky" -- "$cur"))
                    fi ;;
                update)
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "$globals --token-file --token-stdin --app-password-file" -- "$cur"))
                    elif [[ $prev == --token-file || $prev == --app-password-file ]]; then
                        COMPREPLY=($(compgen -f -- "$cur"))
                    else
                        COMPREPLY=($(compgen -W "$(_growthctl_accounts)" -- "$cur"))
                    fi ;;
                show|refresh|remove|test)
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "$globals" -- "$cur"))
                    else
                        COMPREPLY=($(compgen -W "$(_growthctl_accounts)" -- "$cur"))
                    fi ;;
                *) COMPREPLY=($(compgen -W "$globals" -- "$cur")) ;;
            esac ;;
        unlock)
            COMPREPLY=($(compgen -W "$globals --passphrase-fd" -- "$cur")) ;;
        lock)
            COMPREPLY=($(compgen -W "$globals" -- "$cur")) ;;
        vault)
            local vsub="" k
            for ((k = i + 1; k < cword; k++)); do
                case ${words[k]} in -*) ;; *) vsub=${words[k]}; break ;; esac
            done
            case $vsub in
                "") COMPREPLY=($(compgen -W "status rekey" -- "$cur")) ;;
                rekey) COMPREPLY=($(compgen -W "$globals --passphrase --key-file --passphrase-fd --kdf-ops --kdf-memory" -- "$cur")) ;;
                *) COMPREPLY=($(compgen -W "$globals" -- "$cur")) ;;
            esac ;;
    esac
}
complete -F _growthctl growthctl
