# Which Universal Dependencies files each shipped tagger and tokenizer is trained, selected and tested on.
# Sourced by tools/train_pos.sh, tools/train_seg.sh and the bench scripts, so that they cannot disagree.
#
#   ud_languages                 every language code with a model, one per line
#   ud_prepare LANG              sets UD_TRAIN (one CoNLL-U file, made under $UD_WORK when it has to be joined
#                                or converted), UD_DEV (empty: the trainer holds out every tenth training
#                                sentence), UD_TESTS (array: in-domain test files), UD_OFFDOMAIN (array: test
#                                files of other treebanks of the language, never trained on) and UD_NOTE (how
#                                the training file was made, for models/README.md)
#   pos_recipe LANG              the extra `slimnlp train pos` arguments of LANG's shipped tagger: its dictionary
#                                (tools/lexicon/make_lexicons.sh writes $UD_LEXICONS/lex-LANG.tsv) where one exists
#
# Rules, from ../shared/data/ud/README.md:
# - A language with several train splits (French: Sequoia + ALTS) trains on all of them joined, and is tested
#   on each treebank's test split.
# - A language with only dev and test here (German-GSD, Spanish-GSD, Hebrew-HTB, Persian-Seraji) trains on the
#   dev split (the trainer holds out every tenth sentence to select the epoch) and is tested on test.
# - UD v1 treebanks (Chinese r1.4, Dutch LassySmall r1.4) have CONJ mapped to UD v2's CCONJ (the only tag UD v2
#   renamed); the Chinese tagger also trains on a simplified-character copy (ICU's Traditional-Simplified
#   transform, `uconv` from Debian icu-devtools) and is selected on the current GSD dev split.

ud_root=${UD_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared/data/ud}
UD_WORK=${UD_WORK:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/ud-data}
UD_LEXICONS=${UD_LEXICONS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/lexicons}

# Chosen by leave-one-genre-out cross-validation on English-EWT's train and dev sentences (never its test
# split; models/README.md gives the figures); bench/RESULTS.md, "Off-domain tagging", measures the result.
# A language keeps its dictionary unless its tagger did better without it on its own dev split (2026-12-03,
# dev accuracy without / with: de 0.9291 / 0.9283, fa 0.9583 / 0.9520, ko 0.9257 / 0.9252, nl 0.9625 / 0.9612,
# tr 0.9130 / 0.9100, vi 0.8580 / 0.8579; all but Dutch's are word lists without tags).
pos_without_lexicon=" de fa ko nl tr vi "
pos_recipe() {
  local lexicon="$UD_LEXICONS/lex-$1.tsv"
  [[ $pos_without_lexicon == *" $1 "* ]] && return 0
  [ -f "$lexicon" ] && echo "--lexicon $lexicon --lexicon-bits 8"
  return 0
}

# lang  train files (comma separated, relative to $ud_root; "-" = none)  dev  tests  off-domain tests
ud_table() {
  cat <<'EOF'
af UD_Afrikaans-AfriBooms/af_afribooms-ud-train UD_Afrikaans-AfriBooms/af_afribooms-ud-dev UD_Afrikaans-AfriBooms/af_afribooms-ud-test -
cs UD_Czech-CLTT/cs_cltt-ud-train UD_Czech-CLTT/cs_cltt-ud-dev UD_Czech-CLTT/cs_cltt-ud-test UD_Czech-FicTree/cs_fictree-ud-test
de - UD_German-GSD/de_gsd-ud-dev UD_German-GSD/de_gsd-ud-test -
el UD_Greek-GDT/el_gdt-ud-train UD_Greek-GDT/el_gdt-ud-dev UD_Greek-GDT/el_gdt-ud-test -
en UD_English-EWT/en_ewt-ud-train UD_English-EWT/en_ewt-ud-dev UD_English-EWT/en_ewt-ud-test -
es - UD_Spanish-GSD/es_gsd-ud-dev UD_Spanish-GSD/es_gsd-ud-test -
fa - UD_Persian-Seraji/fa_seraji-ud-dev UD_Persian-Seraji/fa_seraji-ud-test -
fr UD_French-Sequoia/fr_sequoia-ud-train,UD_French-ALTS/fr_alts-ud-train UD_French-Sequoia/fr_sequoia-ud-dev,UD_French-ALTS/fr_alts-ud-dev UD_French-Sequoia/fr_sequoia-ud-test,UD_French-ALTS/fr_alts-ud-test UD_French-GSD/fr_gsd-ud-test
he - UD_Hebrew-HTB/he_htb-ud-dev UD_Hebrew-HTB/he_htb-ud-test -
hu UD_Hungarian-Szeged/hu_szeged-ud-train UD_Hungarian-Szeged/hu_szeged-ud-dev UD_Hungarian-Szeged/hu_szeged-ud-test -
id UD_Indonesian-CSUI/id_csui-ud-train - UD_Indonesian-CSUI/id_csui-ud-test -
it UD_Italian-ParTUT/it_partut-ud-train UD_Italian-ParTUT/it_partut-ud-dev UD_Italian-ParTUT/it_partut-ud-test -
ja UD_Japanese-GSD/reconstructed-r2.8/ja_gsd-ud-train.reconstructed UD_Japanese-GSD/reconstructed-r2.8/ja_gsd-ud-dev UD_Japanese-GSD/reconstructed-r2.8/ja_gsd-ud-test -
ko UD_Korean-GSD/ko_gsd-ud-train UD_Korean-GSD/ko_gsd-ud-dev UD_Korean-GSD/ko_gsd-ud-test -
ky UD_Kyrgyz-KTMU/ky_ktmu-ud-train - UD_Kyrgyz-KTMU/ky_ktmu-ud-test -
mr UD_Marathi-UFAL/mr_ufal-ud-train UD_Marathi-UFAL/mr_ufal-ud-dev UD_Marathi-UFAL/mr_ufal-ud-test -
mt UD_Maltese-MUDT/mt_mudt-ud-train UD_Maltese-MUDT/mt_mudt-ud-dev UD_Maltese-MUDT/mt_mudt-ud-test -
nl UD_Dutch-LassySmall/legacy-r1.4/nl_lassysmall-ud-train UD_Dutch-LassySmall/legacy-r1.4/nl_lassysmall-ud-dev UD_Dutch-LassySmall/legacy-r1.4/nl_lassysmall-ud-test UD_Dutch-Alpino/nl_alpino-ud-test
pl UD_Polish-MPDT/pl_mpdt-ud-train UD_Polish-MPDT/pl_mpdt-ud-dev UD_Polish-MPDT/pl_mpdt-ud-test -
pt UD_Portuguese-Bosque/pt_bosque-ud-train UD_Portuguese-Bosque/pt_bosque-ud-dev UD_Portuguese-Bosque/pt_bosque-ud-test -
ru UD_Russian-Taiga/ru_taiga-ud-train UD_Russian-Taiga/ru_taiga-ud-dev UD_Russian-Taiga/ru_taiga-ud-test UD_Russian-GSD/ru_gsd-ud-test
sv UD_Swedish-LinES/sv_lines-ud-train UD_Swedish-LinES/sv_lines-ud-dev UD_Swedish-LinES/sv_lines-ud-test UD_Swedish-Talbanken/sv_talbanken-ud-test
ta UD_Tamil-TTB/ta_ttb-ud-train UD_Tamil-TTB/ta_ttb-ud-dev UD_Tamil-TTB/ta_ttb-ud-test -
th UD_Thai-TUD/th_tud-ud-train UD_Thai-TUD/th_tud-ud-dev UD_Thai-TUD/th_tud-ud-test -
tr UD_Turkish-IMST/tr_imst-ud-train UD_Turkish-IMST/tr_imst-ud-dev UD_Turkish-IMST/tr_imst-ud-test -
ug UD_Uyghur-UDT/ug_udt-ud-train UD_Uyghur-UDT/ug_udt-ud-dev UD_Uyghur-UDT/ug_udt-ud-test -
vi UD_Vietnamese-VTB/vi_vtb-ud-train UD_Vietnamese-VTB/vi_vtb-ud-dev UD_Vietnamese-VTB/vi_vtb-ud-test -
zh UD_Chinese-GSD/legacy-r1.4/zh-ud-train UD_Chinese-GSD/zh_gsd-ud-dev UD_Chinese-GSD/zh_gsd-ud-test,UD_Chinese-GSDSimp/zh_gsdsimp-ud-test,UD_Chinese-GSD/legacy-r1.4/zh-ud-test -
EOF
}

ud_languages() { ud_table | awk '{print $1}'; }

# Absolute .conllu.zst paths of a comma-separated field ("-" gives nothing).
ud_files() {
  [ "$1" = - ] && return 0
  local f
  IFS=, read -ra parts <<< "$1"
  for f in "${parts[@]}"; do echo "$ud_root/$f.conllu.zst"; done
}

# UD v1 -> v2: CONJ became CCONJ; every other UPOS kept its name.
ud_map_v1() { awk -F'\t' 'BEGIN{OFS="\t"} NF == 10 && $4 == "CONJ" {$4 = "CCONJ"} {print}'; }

ud_prepare() {
  local lang=$1 row train dev tests off
  row=$(ud_table | awk -v l="$lang" '$1 == l')
  [ -n "$row" ] || { echo "ud_data: no treebank for language '$lang'" >&2; return 1; }
  read -r _ train dev tests off <<< "$row"
  mapfile -t UD_TESTS < <(ud_files "$tests")
  mapfile -t UD_OFFDOMAIN < <(ud_files "$off")
  local -a train_files dev_files
  mapfile -t train_files < <(ud_files "$train")
  mapfile -t dev_files < <(ud_files "$dev")
  local f
  for f in "${train_files[@]}" "${dev_files[@]}" "${UD_TESTS[@]}"; do
    [ -f "$f" ] || { echo "ud_data: $f is missing" >&2; return 1; }
  done
  mkdir -p "$UD_WORK"
  UD_NOTE=""
  if [ ${#train_files[@]} -eq 0 ]; then
    # Dev and test only: train on dev, the trainer holds out a tenth of it.
    UD_TRAIN=${dev_files[0]}
    UD_DEV=""
    UD_NOTE="trained on the dev split (no train split here), epoch chosen on every 10th sentence of it"
    return 0
  fi
  UD_DEV=""
  if [ ${#dev_files[@]} -eq 1 ]; then
    UD_DEV=${dev_files[0]}
  elif [ ${#dev_files[@]} -gt 1 ]; then
    UD_DEV=$UD_WORK/$lang-dev.conllu
    zstd -dcq "${dev_files[@]}" > "$UD_DEV"
  fi
  case "$lang" in
    zh)
      UD_TRAIN=$UD_WORK/zh-train.conllu
      command -v uconv > /dev/null || apt-get install -y -qq icu-devtools > /dev/null
      zstd -dcq "${train_files[@]}" | ud_map_v1 > "$UD_WORK/zh-train-trad.conllu"
      # The FORM column only: comments and other columns are not rewritten.
      awk -F'\t' 'NF == 10 {print $2}' "$UD_WORK/zh-train-trad.conllu" | uconv -x Traditional-Simplified \
        > "$UD_WORK/zh-forms-simp.txt"
      awk -F'\t' 'BEGIN{OFS="\t"} NR == FNR {simp[NR] = $0; next} NF == 10 {$2 = simp[++n]} {print}' \
        "$UD_WORK/zh-forms-simp.txt" "$UD_WORK/zh-train-trad.conllu" > "$UD_WORK/zh-train-simp.conllu"
      cat "$UD_WORK/zh-train-trad.conllu" "$UD_WORK/zh-train-simp.conllu" > "$UD_TRAIN"
      UD_NOTE="UD v1.4 train, CONJ mapped to CCONJ, plus its simplified-character copy; epoch chosen on the current GSD dev"
      ;;
    nl)
      UD_TRAIN=$UD_WORK/nl-train.conllu
      zstd -dcq "${train_files[@]}" | ud_map_v1 > "$UD_TRAIN"
      UD_DEV=$UD_WORK/nl-dev.conllu
      zstd -dcq "${dev_files[@]}" | ud_map_v1 > "$UD_DEV"
      UD_NOTE="UD v1.4 LassySmall, CONJ mapped to CCONJ"
      ;;
    *)
      if [ ${#train_files[@]} -eq 1 ]; then
        UD_TRAIN=${train_files[0]}
      else
        UD_TRAIN=$UD_WORK/$lang-train.conllu
        zstd -dcq "${train_files[@]}" > "$UD_TRAIN"
        UD_NOTE="train splits joined: ${train//,/ + }"
      fi
      ;;
  esac
  [ -n "$UD_DEV" ] || UD_NOTE="${UD_NOTE:+$UD_NOTE; }epoch chosen on every 10th training sentence (no dev split)"
}

# Vietnamese VTB writes a space around every punctuation token ("Hà Nội ."); running text does not. Writes
# FILE's sentences as they are and again with the punctuation attached (tools/ud/attach_punctuation.py) to OUT,
# so a segmenter or sentence splitter learns both spacings.
ud_both_spacings() {
  { zstd -dcqf "$1"; zstd -dcqf "$1" | "$(dirname "${BASH_SOURCE[0]}")/ud/attach_punctuation.py"; } > "$2"
}
