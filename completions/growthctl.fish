# fish completion for growthctl. Method names for `growthctl rpc` come from the running daemon.

function __growthctl_methods
    growthctl --no-autostart --json rpc daemon.describe 2>/dev/null | string match -ar '"name":"[a-z_]+\.[a-z_.]+"' | string replace -r '"name":"(.*)"' '$1'
end

set -l verbs status rpc preview account post schedule show retry resolve list cancel reschedule when calendar quota watch unlock lock vault log stop help
complete -c growthctl -f
complete -c growthctl -l socket -r -F -d 'growthd socket path'
complete -c growthctl -l json -d 'Print one JSON object for scripts'
complete -c growthctl -l no-autostart -d 'Never start growthd; exit 3 when it is not running'
complete -c growthctl -s v -l verbose -d 'Print the JSON-RPC traffic on stderr'
complete -c growthctl -l version -d 'Print the version'
complete -c growthctl -s h -l help -d 'Print help'

complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a status -d 'Show the daemon version, pid, uptime and counts'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a rpc -d 'Send one raw JSON-RPC call'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a preview -d 'Show how text splits on each platform'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a help -d 'Show the help of growthctl or of a verb'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a log -d "Show growthd's log"
complete -c growthctl -n "__fish_seen_subcommand_from log" -s f -l follow -d 'Keep printing new lines'
complete -c growthctl -n "__fish_seen_subcommand_from log" -s n -l lines -x -d 'How many of the last lines'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a stop -d 'Stop growthd'
complete -c growthctl -n "__fish_seen_subcommand_from help; and test (count (commandline -opc)) -le 2" -a "$verbs" -d 'verb'

complete -c growthctl -n "__fish_seen_subcommand_from rpc; and test (count (commandline -opc)) -le 2" -a '(__growthctl_methods)' -d 'method'

complete -c growthctl -n "__fish_seen_subcommand_from preview" -s p -l platform -x -a 'x linkedin facebook instagram threads mastodon bluesky' -d 'Platform'
complete -c growthctl -n "__fish_seen_subcommand_from preview" -l numbering -x -a "none 1/n '(1/n)' '🧵 1/n'" -d 'Thread numbering'
complete -c growthctl -n "__fish_seen_subcommand_from preview" -l no-split -d 'Do not split into a thread'
complete -c growthctl -n "__fish_seen_subcommand_from preview" -s f -r -F -d 'Read the text from FILE'

# account
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a account -d 'Add, log in, list, show, update, refresh, remove and test accounts'
set -l account_verbs add login list show update refresh remove test
complete -c growthctl -n "__fish_seen_subcommand_from account; and not __fish_seen_subcommand_from $account_verbs" -a "$account_verbs"
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from add; and test (count (commandline -opc)) -le 3" -a 'x linkedin facebook instagram threads mastodon bluesky' -d 'Platform'
function __growthctl_accounts
    growthctl --no-autostart --json account list 2>/dev/null | string match -ar '"name":"[a-z0-9._-]+"' | string replace -r '"name":"(.*)"' '$1'
end
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from show update refresh remove test" -x -a '(__growthctl_accounts)' -d 'account'
for opt in name api-base web-base username author page-id ig-user-id user-id instance max-characters handle service
    complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from add" -l $opt -x
end
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from add" -l token-file -r -F -d 'Read the token from FILE'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from add" -l app-password-file -r -F -d 'Read the Bluesky app password from FILE'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from add" -l token-stdin -d 'Read the token from stdin'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from add" -l no-check -d 'Store without asking the platform first'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from login; and test (count (commandline -opc)) -le 3" -a 'x linkedin facebook instagram threads mastodon bluesky' -d 'Platform'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from login" -l name -x -a '(__growthctl_accounts)' -d 'The account (an existing one gets new tokens)'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from login" -l no-browser -d 'Print the address only'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from login" -l paste -d 'Paste the redirected address back'
for opt in api-base web-base username author instance page handle service
    complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from login" -l $opt -x
end
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from login" -l app-password-file -r -F -d 'Read the Bluesky app password from FILE'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from update" -l token-file -r -F -d 'Read the new token from FILE'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from update" -l token-stdin -d 'Read the new token from stdin'
complete -c growthctl -n "__fish_seen_subcommand_from account; and __fish_seen_subcommand_from update" -l app-password-file -r -F -d 'Read the new Bluesky app password from FILE'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a post -d 'Publish a text now'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a show -d 'Show a post and its URLs'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a retry -d 'Continue a post from its first unpublished part'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a resolve -d 'Record what you found for an unknown part'
complete -c growthctl -n "__fish_seen_subcommand_from resolve" -l account -x -a '(__growthctl_accounts)' -d 'The account the part was sent to'
complete -c growthctl -n "__fish_seen_subcommand_from resolve" -l part -x -d 'The part number'
complete -c growthctl -n "__fish_seen_subcommand_from resolve" -l published -x -d 'It was published at this URL or id'
complete -c growthctl -n "__fish_seen_subcommand_from resolve" -l not-published -d 'It was not published'
complete -c growthctl -n "__fish_seen_subcommand_from post" -l to -x -a 'x linkedin facebook instagram threads mastodon bluesky' -d 'Account or platform'
complete -c growthctl -n "__fish_seen_subcommand_from post" -l numbering -x -a "none 1/n '(1/n)' '🧵 1/n'" -d 'Thread numbering'
complete -c growthctl -n "__fish_seen_subcommand_from post" -l media-url -x -d 'Public image URL'
complete -c growthctl -n "__fish_seen_subcommand_from post" -l dry-run -d 'Show what would be sent'
complete -c growthctl -n "__fish_seen_subcommand_from post" -l no-wait -d 'Return once recorded'
complete -c growthctl -n "__fish_seen_subcommand_from retry" -l no-wait -d 'Return once started'
complete -c growthctl -n "__fish_seen_subcommand_from post" -l open -d 'Open the first URL'
complete -c growthctl -n "__fish_seen_subcommand_from post" -s f -r -F -d 'Read the text from FILE'

# The timer queue
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a schedule -d 'Publish a text later, at --at'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a list -d 'List posts, scheduled and past'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a cancel -d 'Cancel what of a post has not gone out'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a reschedule -d 'Move a scheduled post'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a when -d 'Show what a --at expression means'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a calendar -d 'Show a month of posts, or export iCalendar'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a quota -d 'Show the posting budgets of each account'
complete -c growthctl -n "__fish_seen_subcommand_from quota" -l account -x -d 'Only this account'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a watch -d 'Print state changes of posts as they happen'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a unlock -d 'Open a vault sealed with a passphrase'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a lock -d 'Wipe the vault key from growthd memory'
complete -c growthctl -n "not __fish_seen_subcommand_from $verbs" -a vault -d 'Vault state, or seal it anew'
complete -c growthctl -n "__fish_seen_subcommand_from vault; and not __fish_seen_subcommand_from status rekey" -a 'status rekey'
complete -c growthctl -n "__fish_seen_subcommand_from rekey" -l passphrase -d 'Seal it with a passphrase'
complete -c growthctl -n "__fish_seen_subcommand_from rekey" -l key-file -d 'Seal it with the key file'
complete -c growthctl -n "__fish_seen_subcommand_from rekey" -l kdf-ops -x -d 'Argon2id passes'
complete -c growthctl -n "__fish_seen_subcommand_from rekey" -l kdf-memory -x -d 'Argon2id memory in MiB'
complete -c growthctl -n "__fish_seen_subcommand_from unlock rekey" -l passphrase-fd -x -d 'Read the passphrase from this descriptor'
complete -c growthctl -n "__fish_seen_subcommand_from calendar" -l month -x -d 'The month to show (YYYY-MM)'
complete -c growthctl -n "__fish_seen_subcommand_from calendar" -l ics -d 'Print an iCalendar file'
complete -c growthctl -n "__fish_seen_subcommand_from post schedule reschedule" -l at -x -d 'When to publish'
complete -c growthctl -n "__fish_seen_subcommand_from post schedule reschedule list when calendar" -l tz -x -d 'Time zone of a local time'
complete -c growthctl -n "__fish_seen_subcommand_from post schedule reschedule when" -l fold -x -a 'earlier later' -d 'A local time that happens twice'
complete -c growthctl -n "__fish_seen_subcommand_from post schedule reschedule" -l catch-up -x -d 'How late it may still go out'
complete -c growthctl -n "__fish_seen_subcommand_from schedule" -l to -x -a '(__growthctl_accounts)' -d 'Account or platform'
complete -c growthctl -n "__fish_seen_subcommand_from list" -l state -x -a 'scheduled publishing published partial failed unknown missed canceled needs_auth' -d 'Only this state'
complete -c growthctl -n "__fish_seen_subcommand_from list" -l account -x -a '(__growthctl_accounts)' -d 'Only this account'
complete -c growthctl -n "__fish_seen_subcommand_from list" -l from -x -d 'Due at or after'
complete -c growthctl -n "__fish_seen_subcommand_from list" -l to -x -d 'Due at or before'
complete -c growthctl -n "__fish_seen_subcommand_from list" -l limit -x -d 'Posts per page'
complete -c growthctl -n "__fish_seen_subcommand_from list" -l cursor -x -d 'Continue after a page'
